import { useState } from 'react';
import { Alert } from '../../../components/alert';
import { Button } from '../../../components/button';

type Permission = NotificationPermission | 'unsupported';

function current(): Permission {
  return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
}

/** On the dashboard, ask to allow desktop notifications for incoming calls. */
export function NotificationPrompt() {
  const [permission, setPermission] = useState<Permission>(current);
  if (permission === 'granted' || permission === 'unsupported') return null;
  if (permission === 'denied')
    return (
      <Alert tone="warning">
        Desktop notifications are blocked, so you will not be told of incoming calls while this tab is in the
        background. To allow them, click the icon left of the address bar, set <strong>Notifications</strong>{' '}
        to <strong>Allow</strong>, and reload the page.
      </Alert>
    );
  return (
    <Alert tone="info">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <span>
          Allow desktop notifications so you are told of incoming calls when this tab is in the background.
        </span>
        <Button size="sm" onClick={() => void Notification.requestPermission().then(setPermission)}>
          Allow notifications
        </Button>
      </div>
    </Alert>
  );
}
