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
  const box = shapes.mouth_box;
  // Show a bit around the mouth box, 120 px wide.
  const pad = Math.round(box.w * 0.25);
  const view = { x: Math.max(0, box.x - pad), y: Math.max(0, box.y - pad), w: box.w + 2 * pad, h: box.h + 2 * pad };
  let opening = 0;
  return (
    <ul className={s.grid} aria-label={t('avatar.shapesTitle')}>
      {shapes.items.map((it) => {
        const label = it.kind === 'mouth' ? t('avatar.shape.mouthN', { n: ++opening }) : t(LABEL[it.kind]);
        // The blink frame differs around the eyes: show the whole face, smaller.
        const v = it.kind === 'blink' ? { x: 0, y: Math.max(0, box.y - box.w * 2.2), w: shapes.width, h: box.w * 3 } : view;
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
