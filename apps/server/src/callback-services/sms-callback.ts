import { createHmac, timingSafeEqual } from 'node:crypto';
import { smsCallbackCommands, toE164 } from '@switchboard/shared';
import type { IncomingRequest, SipStack } from '@switchboard/sip';
import type { Db } from '../db/database';
import type { Logger } from '../observability/logger';
import type { SubscriberAccounts } from '../subscribers/subscriber-accounts';
import { carrierCallerId, trunkRequestUri } from '../switch/calls/dial-targets';
import type { TrunkRoute } from '../switch/contracts';
import type { CallbackServices } from './callback-service';
import type { CallbackServiceRow } from './callback-service-store';

export const SMS_HELP = `Commands: ${smsCallbackCommands
  .map((c) => (c.description ? `${c.usage} (${c.description})` : c.usage))
  .join(', ')}.`;

export interface SmsCallbackOptions {
  db: Db;
  logger: Logger;
  services: CallbackServices;
  accounts: SubscriberAccounts;
  stack: SipStack;
  defaultCountry: string;
  /** Posts webhook replies (tests replace it). */
  fetch?: typeof fetch;
}

export interface SmsIn {
  from: string;
  to: string;
  text: string;
  source: 'sip' | 'webhook';
}

/** The HMAC of a webhook body with the service's shared secret, hex (sent as `sha256=<hex>`). */
export function smsSignature(secret: string, body: string): string {
  return createHmac('sha256', secret).update(body, 'utf8').digest('hex');
}

/**
 * SMS callback: text commands from the carrier's SIP MESSAGE (RFC 3428) or the HTTP webhook. The
 * sender must be an authorized caller ID (except `REG` with the right PIN); a call back goes
 * through the service's usual checks and limits. Replies go back the way the message came.
 */
export class SmsCallback {
  private readonly post: typeof fetch;

  constructor(private readonly o: SmsCallbackOptions) {
    this.post = o.fetch ?? fetch;
  }

  private e164(n: string): string | null {
    return toE164(n, this.o.defaultCountry as Parameters<typeof toE164>[1]);
  }

  /** The service whose access number is `to` (as typed, as E.164 or as digits). */
  async serviceFor(to: string): Promise<CallbackServiceRow | null> {
    const rows = await this.o.db
      .selectFrom('callback_services')
      .selectAll()
      .where('access_number', 'is not', null)
      .where('enabled', '=', 1)
      .execute();
    const digits = to.replace(/\D/g, '');
    const e164 = this.e164(to);
    return (
      rows.find((r) => {
        const n = r.access_number ?? '';
        return n === to || n.replace(/\D/g, '') === digits || (e164 !== null && this.e164(n) === e164);
      }) ?? null
    );
  }

  /** Runs one command and answers with the reply text (null: the message was not for a service). */
  async handle(msg: SmsIn, service: CallbackServiceRow): Promise<string> {
    const words = msg.text.trim().split(/\s+/).filter(Boolean);
    const command = (words[0] ?? '').toUpperCase();
    const args = words.slice(1);
    const sender = this.e164(msg.from);
    if (!sender) return 'Your number is hidden: nothing can be done.';
    const subscriberId = await this.o.accounts.findByCallerId(sender);
    this.o.logger.info({ service: service.id, from: sender, command, source: msg.source }, 'sms command');
    if (command === 'HELP' || command === '') return SMS_HELP;
    if (command === 'REG') {
      const [a, b] = args;
      const account = b !== undefined ? await this.accountByNumber(a ?? '') : service.subscriber_id;
      const pin = b ?? a ?? '';
      if (!/^[0-9]{4,10}$/.test(pin) || args.length > 2) return 'Usage: REG <PIN>';
      if (account === null || !(await this.o.accounts.verifyPin(account, pin))) {
        await this.o.services.store.pinFailure(service.id, sender);
        return 'Wrong PIN.';
      }
      if (subscriberId === account) return 'This phone is already registered.';
      try {
        await this.o.accounts.addCallerId(account, sender, { kind: 'system', id: null });
      } catch {
        return 'This phone cannot be registered to this account.';
      }
      return 'This phone is registered: you may use CALL, CONNECT and BAL.';
    }
    if (!['CALL', 'CONNECT', 'BAL'].includes(command)) return SMS_HELP;
    if (subscriberId === null) return 'This phone is not registered. Send REG <PIN> first.';
    if (command === 'BAL') {
      if (service.credit_query !== 1) return 'Balance queries are not available on this service.';
      const account = await this.o.accounts.get(subscriberId);
      return account ? `Your balance is ${account.available} ${account.currency}.` : 'No such account.';
    }
    let callbackNumber = sender;
    let destination: string | null = null;
    if (command === 'CALL') {
      if (args.length > 1) return 'Usage: CALL or CALL <number>';
      if (args[0] !== undefined) {
        destination = this.number(args[0]);
        if (!destination) return `Not a phone number: ${args[0]}`;
      }
    } else {
      if (args.length !== 2) return 'Usage: CONNECT <number 1> <number 2>';
      const n1 = this.number(args[0]!);
      const n2 = this.number(args[1]!);
      if (!n1 || !n2) return `Not a phone number: ${!n1 ? args[0] : args[1]}`;
      callbackNumber = n1;
      destination = n2;
    }
    const result = await this.o.services.order({
      service,
      source: 'sms',
      callerNumber: sender,
      callbackNumber,
      destination,
      subscriberId,
    });
    if (!result.ok) return `Sorry, no call back (${result.reason.replaceAll('_', ' ')}).`;
    return `Calling ${callbackNumber} back in ${service.delay_ms / 1000} s.`;
  }

  private number(text: string): string | null {
    if (!/^\+?[0-9]{3,20}$/.test(text)) return null;
    return this.e164(text.startsWith('00') ? `+${text.slice(2)}` : text);
  }

  private async accountByNumber(typed: string): Promise<number | null> {
    const row = await this.o.db
      .selectFrom('subscribers')
      .select('id')
      .where('phone_number', '=', typed)
      .executeTakeFirst();
    return row?.id ?? null;
  }

  // ---- SIP MESSAGE ------------------------------------------------------------------------------

  /** A MESSAGE from a trunk: 200 at once (RFC 3428 §7), the command, the reply by MESSAGE through the trunk. */
  onSipMessage = (incoming: IncomingRequest, trunk: TrunkRoute): void => {
    void this.sipMessage(incoming, trunk).catch((err) => {
      this.o.logger.error({ err }, 'SIP MESSAGE failed');
      if (!incoming.answered) incoming.reply(500);
    });
  };

  private async sipMessage(incoming: IncomingRequest, trunk: TrunkRoute): Promise<void> {
    const req = incoming.request;
    const type = (req.contentType ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'text/plain') {
      incoming.reply(415, { reason: 'Unsupported Media Type', headers: [['Accept', 'text/plain']] });
      return;
    }
    const from = req.from?.uri.type === 'sip' ? (req.from.uri.user ?? '') : '';
    const to = req.uri.type === 'sip' ? (req.uri.user ?? '') : '';
    const service = await this.serviceFor(to);
    if (!service) {
      incoming.reply(404, { reason: 'Not Found' });
      return;
    }
    incoming.reply(200);
    const reply = await this.handle({ from, to, text: req.bodyText, source: 'sip' }, service);
    await this.sendSip(trunk, service.access_number ?? to, from, reply);
  }

  private async sendSip(
    trunk: TrunkRoute,
    fromNumber: string,
    toNumber: string,
    text: string,
  ): Promise<void> {
    const uri = trunkRequestUri(trunk.uri, toNumber);
    if (!uri) return;
    const { from, headers } = carrierCallerId(this.o.stack, fromNumber);
    const req = this.o.stack.createRequest('MESSAGE', uri, {
      from,
      headers,
      body: text,
      contentType: 'text/plain;charset=UTF-8',
      transport: trunk.transport,
    });
    const res = await this.o.stack.send(req, trunk.credentials ? { credentials: trunk.credentials } : {});
    if (res.status >= 300)
      this.o.logger.warn({ status: res.status, to: toNumber }, 'SMS reply not delivered');
  }

  // ---- webhook ----------------------------------------------------------------------------------

  /**
   * `POST /api/sms/inbound`: `{ from, to, text }` signed with the service's secret. Null when the
   * service or the signature is wrong (the route answers 401 and nothing happens).
   */
  async onWebhook(raw: string, signature: string | undefined): Promise<{ reply: string } | null> {
    let body: { from?: unknown; to?: unknown; text?: unknown };
    try {
      body = JSON.parse(raw) as typeof body;
    } catch {
      return null;
    }
    if (typeof body.to !== 'string' || typeof body.from !== 'string' || typeof body.text !== 'string')
      return null;
    const service = await this.serviceFor(body.to);
    if (!service?.sms_secret || !signature) return null;
    const expected = Buffer.from(smsSignature(service.sms_secret, raw), 'hex');
    const given = Buffer.from(signature.replace(/^sha256=/i, ''), 'hex');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    const reply = await this.handle(
      { from: body.from, to: body.to, text: body.text.slice(0, 480), source: 'webhook' },
      service,
    );
    if (service.sms_reply_url) {
      const out = JSON.stringify({ from: service.access_number, to: body.from, text: reply });
      void this.post(service.sms_reply_url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-signature': `sha256=${smsSignature(service.sms_secret, out)}`,
        },
        body: out,
        signal: AbortSignal.timeout(5000),
      }).catch((err) => this.o.logger.warn({ err: String(err) }, 'SMS reply webhook failed'));
    }
    return { reply };
  }
}
