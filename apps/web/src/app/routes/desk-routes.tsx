import { CampaignDeskCard } from '../../features/campaigns/components/campaign-desk-card';
import { DashboardPage } from '../../features/desk/routes/dashboard-page';
import { DeskPhoneNotice } from '../../features/softphone/components/desk-phone-notice';
import { MicrophoneCheckNotice } from '../../features/softphone/components/microphone-check-notice';

/**
 * The dashboard with the softphone's notices on top (the desk-phone notice; for a web
 * extension, the microphone check before going idle).
 */
export function DashboardRoute() {
  return (
    <DashboardPage
      cards={<CampaignDeskCard />}
      notices={
        <>
          <DeskPhoneNotice />
          <MicrophoneCheckNotice />
        </>
      }
    />
  );
}
