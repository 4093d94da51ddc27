import type { CampaignTables } from './tables/campaigns';
import type { ContactsTables } from './tables/contacts';
import type { CoreTables } from './tables/core';
import type { EmailTables } from './tables/email';
import type { JobsTables } from './tables/jobs';
import type { ProvidersTables } from './tables/providers';
import type { RenderTables } from './tables/render';
import type { SecurityTables } from './tables/security';
import type { TrackingTables } from './tables/tracking';
import type { WatchTables } from './tables/watch';

/** The whole schema, composed from each feature's tables. */
export interface DB extends CoreTables, RenderTables, TrackingTables, EmailTables, ProvidersTables, ContactsTables, JobsTables, SecurityTables, CampaignTables, WatchTables {}
