import type { OverviewDay } from '@mvs/shared/api/api-types';
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useI18n } from '../../app/i18n';
import { CHART } from '../chart-colors';

const HEIGHT = 260;

/** Human plays and CTA clicks (left axis) and average watch % (right axis) per day. */
export function ActivityChart({ daily }: { daily: OverviewDay[] }) {
  const { t, f } = useI18n();
  // A day without plays has no watch % (a gap, not a fall to 0 %).
  const data = daily.map((d) => ({ ...d, label: f.day(d.day), average_watch_pct: d.plays ? d.average_watch_pct : null }));
  return (
    <div role="img" aria-label={t('dashboard.activityChartLabel')}>
      <ResponsiveContainer width="100%" height={HEIGHT}>
        <LineChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid stroke={CHART.grid} vertical={false} />
          <XAxis dataKey="label" tick={{ fill: CHART.axis, fontSize: 12 }} interval="preserveStartEnd" minTickGap={16} />
          <YAxis yAxisId="n" allowDecimals={false} tick={{ fill: CHART.axis, fontSize: 12 }} width={36} />
          <YAxis yAxisId="pct" orientation="right" domain={[0, 100]} tickFormatter={(v: number) => f.percent(v)} tick={{ fill: CHART.axis, fontSize: 12 }} width={48} />
          <Tooltip formatter={(v, name) => (name === t('dashboard.avgWatch') ? f.percent(Number(v)) : f.number(Number(v)))} />
          <Legend />
          <Line yAxisId="n" type="linear" dataKey="plays" name={t('dashboard.humanPlays')} stroke={CHART.plays} strokeWidth={2} dot={false} isAnimationActive={false} />
          <Line yAxisId="n" type="linear" dataKey="cta_clicks" name={t('dashboard.ctaClicks')} stroke={CHART.cta} strokeWidth={2} dot={false} isAnimationActive={false} />
          <Line yAxisId="pct" type="linear" dataKey="average_watch_pct" name={t('dashboard.avgWatch')} stroke={CHART.watch} strokeDasharray="4 3" dot={{ r: 3 }} connectNulls={false} isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}

/** Opens per day, stacked: people, machines (privacy proxies, scanners) and the ones we cannot tell. */
export function OpensChart({ daily }: { daily: OverviewDay[] }) {
  const { t, f } = useI18n();
  const data = daily.map((d) => ({ ...d, label: f.day(d.day) }));
  return (
    <div role="img" aria-label={t('dashboard.opensChartLabel')}>
      <ResponsiveContainer width="100%" height={HEIGHT}>
        <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid stroke={CHART.grid} vertical={false} />
          <XAxis dataKey="label" tick={{ fill: CHART.axis, fontSize: 12 }} interval="preserveStartEnd" minTickGap={16} />
          <YAxis allowDecimals={false} tick={{ fill: CHART.axis, fontSize: 12 }} width={36} />
          <Tooltip formatter={(v) => f.number(Number(v))} />
          <Legend />
          <Bar dataKey="opens_human" stackId="o" name={t('dashboard.opensHuman')} fill={CHART.human} isAnimationActive={false} />
          <Bar dataKey="opens_machine" stackId="o" name={t('dashboard.opensMachine')} fill={CHART.machine} isAnimationActive={false} />
          <Bar dataKey="opens_unknown" stackId="o" name={t('dashboard.opensUnknown')} fill={CHART.unknown} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
