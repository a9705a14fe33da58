import { addDigestAuthorization, type ClientCredentials } from '../auth/digest-client';
import { generateBranch } from '../messages/builders';
import { newVia } from '../messages/headers';
import { SipRequest, type SipResponse } from '../messages/message';
import type { SipStack } from '../sip-stack';
import type { ClientTransaction } from '../transactions/transaction-layer';
import type { Flow } from '../transports/transport';
import type { SessionDialog } from './session-dialog';

export interface InviteOptions {
  credentials?: ClientCredentials;
  flow?: Flow;
  /** Each provisional response, with the early dialog it created if it had a To tag. */
  onProgress?(response: SipResponse, dialog: SessionDialog | undefined): void;
  /**
   * A 2xx from a second fork after the first was accepted (§13.2.4). The ACK has been sent; the
   * default ends that dialog with BYE.
   */
  onFork?(dialog: SessionDialog, response: SipResponse): void;
  /** Body for the ACK (late offer: the 2xx carried the offer). */
  ackBody?(response: SipResponse): { body: string | Buffer; contentType: string } | undefined;
}

export interface InviteResult {
  response: SipResponse;
  /** The confirmed dialog, on 2xx. */
  dialog?: SessionDialog;
}

/**
 * The UAC side of an INVITE (§13.2): early dialogs from 1xx, the dialog from the 2xx with its ACK,
 * forked 2xx, CANCEL (§9.1), and one retry with credentials after 401/407 (§22.2).
 */
export class OutgoingInvite {
  request: SipRequest;
  readonly dialogs = new Map<string, SessionDialog>();
  readonly done: Promise<InviteResult>;
  private resolve!: (r: InviteResult) => void;
  private settled = false;
  private provisional = false;
  private cancelRequested = false;
  private authTried = false;
  private tx: ClientTransaction | undefined;
  private accepted: SessionDialog | undefined;

  constructor(
    readonly stack: SipStack,
    request: SipRequest,
    readonly options: InviteOptions = {},
  ) {
    this.request = request;
    this.done = new Promise((r) => {
      this.resolve = r;
    });
  }

  start(): void {
    try {
      this.tx = this.stack.startClientTransaction(
        this.request,
        { flow: this.options.flow },
        {
          onResponse: (r) => this.onResponse(r),
          onTimeout: () => this.finish(this.stack.synthesize(this.request, 408, 'Request Timeout')),
          onTransportError: (e) =>
            this.finish(this.stack.synthesize(this.request, 503, `Transport Error: ${e.message}`)),
        },
      );
    } catch (e) {
      // No route or transport for the target: the call fails as a transport error would.
      const reason = e instanceof Error ? e.message : String(e);
      this.finish(this.stack.synthesize(this.request, 503, `Transport Error: ${reason}`));
    }
  }

  private finish(response: SipResponse, dialog?: SessionDialog): void {
    if (this.settled) return;
    this.settled = true;
    if (response.status >= 300)
      for (const d of this.dialogs.values()) if (d.state === 'early') d.terminate('rejected');
    this.resolve({ response, dialog });
  }

  private onResponse(res: SipResponse): void {
    const s = res.status;
    const tag = res.to?.tag;
    if (s < 200) {
      this.provisional = true;
      if (this.cancelRequested) this.sendCancel();
      let dialog: SessionDialog | undefined;
      if (s > 100 && tag && res.contact) {
        dialog = this.dialogs.get(tag);
        if (!dialog) {
          dialog = this.stack.createUacDialog(this.request, res, this.options.flow);
          dialog.credentials = this.options.credentials;
          this.dialogs.set(tag, dialog);
        } else dialog.refreshTarget(res);
      }
      this.options.onProgress?.(res, dialog);
      return;
    }
    if (s < 300) {
      if (!tag) return;
      let dialog = this.dialogs.get(tag);
      if (dialog?.hasAcked(res.cseq.seq)) {
        dialog.ack(res, this.request); // a retransmitted 2xx: re-send the same ACK
        return;
      }
      if (!dialog || dialog.state === 'terminated') {
        dialog = this.stack.createUacDialog(this.request, res, this.options.flow);
        dialog.credentials = this.options.credentials;
        this.dialogs.set(tag, dialog);
      } else {
        // §12.1.2 / §13.2.2.4: the 2xx fixes the route set and remote target.
        dialog.routeSet = res.nameAddrs('record-route').reverse();
        dialog.refreshTarget(res);
      }
      dialog.state = 'confirmed';
      dialog.ack(res, this.request, this.options.ackBody?.(res));
      if (!this.accepted) {
        this.accepted = dialog;
        this.finish(res, dialog);
      } else if (dialog !== this.accepted) {
        if (this.options.onFork) this.options.onFork(dialog, res);
        else void dialog.bye().catch(() => {});
      }
      return;
    }
    if ((s === 401 || s === 407) && this.options.credentials && !this.authTried && !this.cancelRequested) {
      this.authTried = true;
      const retry = this.request.clone();
      retry.set('via', newVia(generateBranch()));
      retry.set('cseq', `${this.request.cseq.seq + 1} INVITE`);
      if (addDigestAuthorization(retry, res, this.options.credentials)) {
        this.request = retry;
        this.provisional = false;
        this.start();
        return;
      }
    }
    this.finish(res);
  }

  /** §9.1: CANCEL only after a provisional response; until then it is queued. */
  cancel(): void {
    if (this.settled || this.cancelRequested) return;
    this.cancelRequested = true;
    if (this.provisional) this.sendCancel();
  }

  private sendCancel(): void {
    if (this.settled) return;
    const inv = this.request;
    const cancel = new SipRequest('CANCEL', inv.uri);
    // Same top Via (branch) as the INVITE so the server matches it (§9.1).
    cancel.set('via', inv.rawFields().get('via')![0]!);
    cancel.set('max-forwards', '70');
    cancel.set('from', inv.get('from')!);
    cancel.set('to', inv.get('to')!);
    cancel.set('call-id', inv.callId);
    cancel.set('cseq', `${inv.cseq.seq} CANCEL`);
    const routes = inv.rawFields().get('route');
    if (routes) cancel.set('route', routes);
    void this.stack.send(cancel, { flow: this.options.flow });
  }

  get transaction(): ClientTransaction | undefined {
    return this.tx;
  }
}
