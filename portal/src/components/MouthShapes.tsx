import { Text, makeStyles, tokens } from '@fluentui/react-components';
import type { MouthShapes as Shapes } from '@mvs/shared/api/api-types';
import { useI18n, type PortalKey } from '../app/i18n';

const useStyles = makeStyles({
  grid: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalM, listStyle: 'none', margin: 0, padding: 0 },
  item: { display: 'flex', flexDirection: 'column', alignItems: 'center', gap: tokens.spacingVerticalXS },
  crop: { position: 'relative', overflow: 'hidden', borderRadius: tokens.borderRadiusMedium, border: `1px solid ${tokens.colorNeutralStroke2}`, backgroundColor: tokens.colorNeutralBackground3 },
  img: { position: 'absolute', maxWidth: 'none' },
  label: { fontSize: tokens.fontSizeBase200, color: tokens.colorNeutralForeground2 },
});

const LABEL: Record<Shapes['items'][number]['kind'], PortalKey> = { mouth: 'avatar.shape.mouth', closed: 'avatar.shape.closed', rounded: 'avatar.shape.rounded', blink: 'avatar.shape.blink' };

/** The prepared sprites, each cropped to the part that moves (mouth; eyes for the blink), enlarged. */
export function MouthShapes({ shapes }: { shapes: Shapes }) {
  const s = useStyles();
  const { t } = useI18n();
  const crop = (b: Shapes['mouth_box']) => {
    // A little room around the region that changes, so the mouth (or the eyes) is seen in its face.
    const pad = Math.round(b.w * 0.15);
    return { x: Math.max(0, b.x - pad), y: Math.max(0, b.y - pad), w: b.w + 2 * pad, h: b.h + 2 * pad };
  };
  const mouthView = crop(shapes.mouth_box);
  const eyesView = crop(shapes.eyes_box);
  let opening = 0;
  return (
    <ul className={s.grid} aria-label={t('avatar.shapesTitle')}>
      {shapes.items.map((it) => {
        const label = it.kind === 'mouth' ? t('avatar.shape.mouthN', { n: ++opening }) : t(LABEL[it.kind]);
        const v = it.kind === 'blink' ? eyesView : mouthView;
        const k = 120 / v.w;
        return (
          <li key={it.name} className={s.item}>
            <span className={s.crop} style={{ width: 120, height: Math.round(v.h * k) }}>
              <img className={s.img} src={it.url} alt={label} style={{ width: Math.round(shapes.width * k), left: -Math.round(v.x * k), top: -Math.round(v.y * k) }} />
            </span>
            <Text className={s.label}>{label}</Text>
          </li>
        );
      })}
    </ul>
  );
}
