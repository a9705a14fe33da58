export const customerKeys = {
  all: ['customers'] as const,
  list: (params: object) => ['customers', 'list', params] as const,
  detail: (id: number) => ['customers', 'detail', id] as const,
};
