import type { CallbackPlanStatus } from '@switchboard/shared';
import { Badge, type BadgeTone } from '../../../components/badge';

const look: Record<CallbackPlanStatus, { tone: BadgeTone; label: string }> = {
  scheduled: { tone: 'blue', label: 'Scheduled' },
  due: { tone: 'amber', label: 'Due now' },
  done: { tone: 'green', label: 'Done' },
  missed: { tone: 'red', label: 'Missed' },
  cancelled: { tone: 'gray', label: 'Cancelled' },
};

export function PlanStatusBadge({ status }: { status: CallbackPlanStatus }) {
  return <Badge tone={look[status].tone}>{look[status].label}</Badge>;
}
