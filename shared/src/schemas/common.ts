import { z } from '@hono/zod-openapi';

export const Uuid = z.string().uuid();
export const IdParam = z.object({ id: Uuid.openapi({ param: { name: 'id', in: 'path' }, example: '605f28ea-8094-4356-b8b3-09f7e2229425' }) });

/** Pagination query: 1-based page, page size up to 100. */
export const PageQuery = z.object({
  page: z.coerce.number().int().min(1).default(1).openapi({ example: 1 }),
  page_size: z.coerce.number().int().min(1).max(100).default(20).openapi({ example: 20 }),
});

export function pageOf<T extends z.ZodTypeAny>(item: T, name: string) {
  return z
    .object({ items: z.array(item), total: z.number().int(), page: z.number().int(), page_size: z.number().int() })
    .openapi(name);
}

export const Role = z.enum(['admin', 'user', 'viewer']).openapi('Role');
export type Role = z.infer<typeof Role>;

export const Language = z.enum(['en', 'vi']).openapi('Language');
export type Language = z.infer<typeof Language>;
