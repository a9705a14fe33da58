/** A desktop notification whose click brings this tab forward; returns a closer. */
export function showDesktopNotification(
  title: string,
  body: string,
  tag: string,
  onClick?: () => void,
): () => void {
  if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return () => {};
  try {
    const n = new Notification(title, { body, tag, requireInteraction: true });
    n.onclick = () => {
      window.focus();
      onClick?.();
      n.close();
    };
    return () => n.close();
  } catch {
    return () => {};
  }
}
