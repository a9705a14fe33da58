export * from './messages/builders';
export * from './messages/grammar';
export * from './messages/headers';
export * from './messages/message';
export * from './messages/parser';
export * from './messages/uri';
export * from './messages/validation';
