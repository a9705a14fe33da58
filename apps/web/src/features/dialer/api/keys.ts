export const dialerKeys = {
  policy: ['dialer', 'policy'] as const,
  doNotCall: ['dialer', 'do-not-call'] as const,
};
