import type { TemplateUseCase } from '@mvs/shared/api/api-types';
import type { PortalKey } from '../app/i18n';

export const USE_CASES: TemplateUseCase[] = ['sales', 'customer_success', 'hr', 'real_estate', 'custom'];
export const USE_CASE_LABEL: Record<TemplateUseCase, PortalKey> = {
  sales: 'templates.use.sales',
  customer_success: 'templates.use.customer_success',
  hr: 'templates.use.hr',
  real_estate: 'templates.use.real_estate',
  custom: 'templates.use.custom',
};

/** The variables every contact has (custom CSV columns add their own). */
export const STANDARD_VARIABLES = ['first_name', 'last_name', 'company', 'title', 'email'] as const;
