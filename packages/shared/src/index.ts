export * from './api/auth';
export * from './api/errors';
export * from './api/events';
export * from './api/health';
export * from './api/settings';
export * from './masking';
export * from './phone';
