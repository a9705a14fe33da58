/** Query keys of the portal's web-callback data. */
export const callbackNumberKey = ['portal', 'callback-number'] as const;
export const webCallbacksKey = ['portal', 'web-callbacks'] as const;
export const webCallbackKey = (id: number) => [...webCallbacksKey, 'one', id] as const;
