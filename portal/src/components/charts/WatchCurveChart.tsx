import { Area, AreaChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatDuration } from '@mvs/shared/i18n/i18n';
import { useI18n } from '../../app/i18n';
import { CHART } from '../chart-colors';

/** % of human viewers still watching at each second (or at each milestone when only milestones are known). */
export function WatchCurveChart({ points, unit }: { points: { x: number; pct: number }[]; unit: 'second' | 'percent' }) {
  const { t, f } = useI18n();
  const label = (x: number) => (unit === 'second' ? formatDuration(x) : f.percent(x));
  return (
    <div role="img" aria-label={t('video.curveLabel')}>
      <ResponsiveContainer width="100%" height={220}>
        <AreaChart data={points} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
          <CartesianGrid stroke={CHART.grid} vertical={false} />
          <XAxis dataKey="x" type="number" domain={['dataMin', 'dataMax']} tickFormatter={label} tick={{ fill: CHART.axis, fontSize: 12 }} />
          <YAxis domain={[0, 100]} tickFormatter={(v: number) => f.percent(v)} tick={{ fill: CHART.axis, fontSize: 12 }} width={48} />
          <Tooltip labelFormatter={(x) => label(Number(x))} formatter={(v) => [f.percent(Number(v)), t('video.stillWatching')]} />
          <Area type="stepAfter" dataKey="pct" stroke={CHART.plays} fill={CHART.plays} fillOpacity={0.15} isAnimationActive={false} />
        </AreaChart>
      </ResponsiveContainer>
    </div>
  );
}
