// Tables owned by the email feature. Add an interface per table and list it in EmailTables.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface EmailTables {}
