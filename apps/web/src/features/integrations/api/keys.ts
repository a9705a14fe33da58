export const integrationKeys = {
  apiTokens: ['integrations', 'api-tokens'] as const,
  users: ['integrations', 'users'] as const,
  webhooks: ['integrations', 'webhooks'] as const,
  deliveries: (id: number) => ['integrations', 'webhooks', id, 'deliveries'] as const,
};
