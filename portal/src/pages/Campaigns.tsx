import { Button, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, makeStyles, tokens } from '@fluentui/react-components';
import { useI18n } from '../app/i18n';
import { linkProps } from '../app/router';
import { useAsync, useServices } from '../app/services';
import { AppLink } from '../components/AppLink';
import { CampaignStatus } from '../components/CampaignStatus';
import { EmptyState, ErrorBar, Loading, PageHeader } from '../components/ui';

const useStyles = makeStyles({ table: { backgroundColor: tokens.colorNeutralBackground1 }, nameCol: { width: '34%' } });

/** Campaigns, newest first, with their state and how far they got. */
export function Campaigns() {
  const s = useStyles();
  const { t, f } = useI18n();
  const { api, can } = useServices();
  const list = useAsync(() => api.campaigns({ page_size: 100 }), [api]);
  const items = list.data?.items ?? [];
  const create = can.write ? (
    <Button appearance="primary" as="a" {...linkProps('/campaigns/new')}>
      {t('campaigns.new')}
    </Button>
  ) : undefined;
  return (
    <>
      <PageHeader title={t('campaigns.title')} subtitle={t('campaigns.subtitle')} actions={create} />
      {list.error ? <ErrorBar error={list.error} onRetry={list.reload} /> : null}
      {!list.data && list.loading ? <Loading /> : null}
      {list.data && !items.length ? (
        <EmptyState title={t('campaigns.emptyTitle')} action={create}>
          {t('campaigns.emptyBody')}
        </EmptyState>
      ) : null}
      {items.length ? (
        <Table className={s.table} aria-label={t('campaigns.title')}>
          <TableHeader>
            <TableRow>
              <TableHeaderCell className={s.nameCol}>{t('campaigns.name')}</TableHeaderCell>
              <TableHeaderCell>{t('videos.status')}</TableHeaderCell>
              <TableHeaderCell>{t('campaigns.recipients')}</TableHeaderCell>
              <TableHeaderCell>{t('campaigns.rendered')}</TableHeaderCell>
              <TableHeaderCell>{t('campaigns.sent')}</TableHeaderCell>
              <TableHeaderCell>{t('videos.created')}</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {items.map((c) => (
              <TableRow key={c.id}>
                <TableCell>
                  <AppLink to={`/campaigns/${c.id}`}>{c.name}</AppLink>
                </TableCell>
                <TableCell>
                  <CampaignStatus status={c.status} />
                </TableCell>
                <TableCell>{f.number(c.counts.total)}</TableCell>
                <TableCell>{f.number(c.counts.rendered + c.counts.approved + c.counts.sending + c.counts.sent)}</TableCell>
                <TableCell>{f.number(c.counts.sent)}</TableCell>
                <TableCell>{f.dateTime(c.created_at)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      ) : null}
    </>
  );
}
