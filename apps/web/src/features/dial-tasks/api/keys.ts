export const dialTaskKeys = {
  all: ['dial-tasks'] as const,
  list: (params: object) => ['dial-tasks', 'list', params] as const,
  history: (id: number) => ['dial-tasks', 'history', id] as const,
};
