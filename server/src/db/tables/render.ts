// Tables owned by the render feature. Add an interface per table and list it in RenderTables.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface RenderTables {}
