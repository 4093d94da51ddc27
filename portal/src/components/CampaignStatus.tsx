import { Badge } from '@fluentui/react-components';
import type { CampaignStatus as Status } from '@mvs/shared/api/api-types';
import { useI18n } from '../app/i18n';

const COLOR: Record<Status, 'informative' | 'warning' | 'success' | 'danger' | 'subtle' | 'brand'> = {
  draft: 'informative',
  rendering: 'warning',
  review: 'brand',
  scheduled: 'informative',
  sending: 'warning',
  sent: 'success',
  paused: 'subtle',
  canceled: 'subtle',
  failed: 'danger',
};

export function CampaignStatus({ status }: { status: Status }) {
  const { t } = useI18n();
  return (
    <Badge appearance="tint" color={COLOR[status]}>
      {t(`campaign.status.${status}`)}
    </Badge>
  );
}
