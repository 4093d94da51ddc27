// Tables owned by the providers feature. Add an interface per table and list it in ProvidersTables.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface ProvidersTables {}
