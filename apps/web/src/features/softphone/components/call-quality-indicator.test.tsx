import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { CallQualityView } from '../lib/call-quality-sample';
import { CallQualityIndicator } from './call-quality-indicator';

const poorCustomerLine: CallQualityView = {
  mos: 1.23,
  level: 'poor',
  agentNetwork: { lossRate: 0, jitterMs: 1.4, rttMs: 4 },
  otherLine: { lossRate: 0.3, jitterMs: 0, rttMs: null },
  otherParty: 'customer',
  warnings: [{ source: 'other-line', message: "The customer's line is poor" }],
};

describe('CallQualityIndicator', () => {
  afterEach(cleanup);

  it('says it is measuring before the first reading', () => {
    render(<CallQualityIndicator quality={null} />);
    expect(screen.getByTestId('call-quality').textContent).toBe('Measuring quality…');
  });

  it('shows the verdict, the warning, and the figures on demand', () => {
    render(<CallQualityIndicator quality={poorCustomerLine} />);
    expect(screen.getByTestId('call-quality').textContent).toBe('Quality Poor · MOS 1.2');
    expect(screen.getByRole('alert').textContent).toBe("The customer's line is poor");
    expect(screen.queryByRole('table')).toBeNull();
    fireEvent.click(screen.getByTestId('call-quality'));
    const rows = screen.getAllByRole('row').map((r) => r.textContent);
    expect(rows).toEqual([
      'LossJitterRound trip',
      'Your connection0.0 %1 ms4 ms',
      "Customer's line30 %0 ms–",
    ]);
  });
});
