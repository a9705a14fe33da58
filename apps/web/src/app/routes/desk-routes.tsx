import { DashboardPage } from '../../features/desk/routes/dashboard-page';
import { DeskPhoneNotice } from '../../features/softphone/components/desk-phone-notice';

/** The dashboard with the softphone's notices on top (seed 004: the desk-phone notice). */
export function DashboardRoute() {
  return <DashboardPage notices={<DeskPhoneNotice />} />;
}
