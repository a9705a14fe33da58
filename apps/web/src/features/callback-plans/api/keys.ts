export const callbackPlanKeys = {
  all: ['callback-plans'] as const,
  list: (params: object) => ['callback-plans', 'list', params] as const,
};
