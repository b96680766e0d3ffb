export * from './event.ts';
export * from './zone.ts';
export * from './alert.ts';
export * from './live.ts';
export * from './calendar.ts';
export * from './wall.ts';
export * from './rules-admin.ts';
export * from './item-reason.ts';
