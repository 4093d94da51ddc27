// Tables owned by the tracking feature. Add an interface per table and list it in TrackingTables.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface TrackingTables {}
