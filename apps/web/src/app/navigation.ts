import type { Role } from '@switchboard/shared';

export interface NavItem {
  to: string;
  label: string;
  role: Role;
  section: 'desk' | 'supervisor' | 'admin';
}

/** The agent desk menu, then the sections a supervisor and an administrator add. */
export const navigation: NavItem[] = [
  { to: '/', label: 'Dashboard', role: 'agent', section: 'desk' },
  { to: '/cdr', label: 'CDR', role: 'agent', section: 'desk' },
  { to: '/recordings', label: 'Recordings', role: 'agent', section: 'desk' },
  { to: '/crm', label: 'CRM', role: 'agent', section: 'desk' },
  { to: '/callbacks', label: 'Callback Plans', role: 'agent', section: 'desk' },
  { to: '/tasks', label: 'Outbound Tasks', role: 'agent', section: 'desk' },
  { to: '/statistics', label: 'Statistics', role: 'agent', section: 'desk' },
  { to: '/supervisor/agents', label: 'Agents', role: 'supervisor', section: 'supervisor' },
  { to: '/supervisor/queues', label: 'Queues', role: 'supervisor', section: 'supervisor' },
  { to: '/supervisor/wallboard', label: 'Wallboard', role: 'supervisor', section: 'supervisor' },
  { to: '/supervisor/campaigns', label: 'Campaigns', role: 'supervisor', section: 'supervisor' },
  { to: '/statistics/reports', label: 'Reports', role: 'supervisor', section: 'supervisor' },
  { to: '/flows', label: 'Call flows', role: 'supervisor', section: 'supervisor' },
  { to: '/admin/users', label: 'Users & extensions', role: 'admin', section: 'admin' },
  { to: '/admin/routing', label: 'Queues & routes', role: 'admin', section: 'admin' },
  { to: '/admin/trunks', label: 'Trunks', role: 'admin', section: 'admin' },
  { to: '/admin/sip-bans', label: 'SIP bans', role: 'admin', section: 'admin' },
  { to: '/admin/subscribers', label: 'Subscribers', role: 'admin', section: 'admin' },
  { to: '/admin/rate-tables', label: 'Rates & plans', role: 'admin', section: 'admin' },
  { to: '/admin/web-callback', label: 'Web callback', role: 'admin', section: 'admin' },
  { to: '/admin/callback-services', label: 'Callback services', role: 'admin', section: 'admin' },
  { to: '/admin/sounds', label: 'Sound library', role: 'admin', section: 'admin' },
  { to: '/admin/settings', label: 'Settings', role: 'admin', section: 'admin' },
  { to: '/admin/dialer', label: 'Dialer', role: 'admin', section: 'admin' },
  { to: '/admin/api-tokens', label: 'API tokens', role: 'admin', section: 'admin' },
  { to: '/admin/webhooks', label: 'Webhooks', role: 'admin', section: 'admin' },
];
