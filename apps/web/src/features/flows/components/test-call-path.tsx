import type { FollowedTestCall } from '../hooks/use-followed-test-call';

/** The components the test call went through so far, and whether it ended. */
export function TestCallPath({ test }: { test: FollowedTestCall }) {
  return (
    <p className="text-xs text-slate-600" data-testid="test-call-path">
      Test call: {test.path.length === 0 ? 'ringing your extension…' : test.path.join(' → ')}
      {test.ended !== null ? ' · ended' : ''}
    </p>
  );
}
