export const integrationKeys = {
  apiTokens: ['integrations', 'api-tokens'] as const,
  users: ['integrations', 'users'] as const,
};
