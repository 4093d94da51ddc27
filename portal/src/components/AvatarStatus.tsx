import { Badge } from '@fluentui/react-components';
import type { Avatar } from '@mvs/shared/api/api-types';
import { useI18n } from '../app/i18n';

const COLOR = { draft: 'informative', processing: 'warning', ready: 'success', failed: 'danger' } as const;

/** Draft (no photo) → Preparing → Ready / Photo refused. */
export function AvatarStatus({ avatar }: { avatar: Pick<Avatar, 'status'> }) {
  const { t } = useI18n();
  return (
    <Badge appearance="tint" color={COLOR[avatar.status]}>
      {t(`avatar.status.${avatar.status}`)}
    </Badge>
  );
}
