// The script injected into the agent's page before any of the app's code (Playwright addInitScript).
// Plain JavaScript in a string: it runs in Chromium, and bench/ compiles without the DOM library.
//
// Per call it records, on the page's clock (performance.timeOrigin + performance.now(), the same
// wall clock as the bench process on one machine):
//   ws      the WebSocket `message` event that carried the switch's INVITE (our listener is added in
//           the constructor, before sip.js adds its own, so it runs first in the same task)
//   trying  sip.js sending its 100 Trying for that INVITE (sip.js has parsed the INVITE, matched the
//           transaction and built the Invitation; the softphone's onInvite runs right after)
//   dom     the answer bar in the DOM (MutationObserver: React has committed)
//   raf     the first animation frame after that (style, layout and paint of that frame follow it)
//   rendered a task posted from that rAF callback: runs once that frame's rendering steps are done
//           (the main thread's part of the paint; the double rAF below waits one more frame)
//   paint   the second animation frame: the frame with the bar has been painted
//   gone    the answer bar removed (the call was cancelled)
//   notify  the desktop notification created (new Notification), ring the ringtone asking for
//           sound (new AudioContext or resume()), ringRunning the AudioContext running (audible):
//           what announces the call when the tab is not in front
// and reports `paint` and `gone` to the bench through an exposed binding (works in hidden tabs, where
// polling timers are throttled).

export const REPORT_BINDING = '__deskBenchReport';

export interface CallMarks {
  /** Call number given by the bench (`__deskBench.arm(n)`). */
  n: number;
  ws?: number;
  trying?: number;
  dom?: number;
  raf?: number;
  rendered?: number;
  paint?: number;
  gone?: number;
  notify?: number;
  ring?: number;
  /** The ringtone's AudioContext reached 'running' (the autoplay policy let it sound). */
  ringRunning?: number;
  /** document.visibilityState when the bar appeared. */
  visibility?: string;
  /** The INVITE's size on the WebSocket (bytes of text). */
  inviteBytes?: number;
}

export const pageProbe = `(() => {
  const now = () => performance.timeOrigin + performance.now();
  // User Timing marks too, so a Chromium trace (--trace) shows each step on the page's timeline
  const mark = (name) => {
    try {
      performance.mark('desk:' + name + ':' + state.cur.n);
    } catch {}
  };
  const report = (kind, marks) => {
    const fn = window['${REPORT_BINDING}'];
    if (typeof fn === 'function') fn(kind, JSON.parse(JSON.stringify(marks)));
  };
  const state = { cur: { n: -1 }, barShown: false };
  window.__deskBench = {
    arm(n) { state.cur = { n }; },
    current() { return state.cur; },
    visibility() { return document.visibilityState; },
  };

  const Native = window.WebSocket;
  class ProbedWebSocket extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (e) => {
        if (typeof e.data === 'string' && e.data.startsWith('INVITE ') && state.cur.ws === undefined) {
          state.cur.ws = now();
          mark('ws');
          state.cur.inviteBytes = e.data.length;
        }
      });
    }
    send(data) {
      if (typeof data === 'string' && state.cur.ws !== undefined && state.cur.trying === undefined &&
          data.startsWith('SIP/2.0 100') && /\\nCSeq:\\s*\\d+\\s+INVITE/i.test(data)) {
        state.cur.trying = now();
        mark('trying');
      }
      return super.send(data);
    }
  }
  window.WebSocket = ProbedWebSocket;

  if (typeof window.Notification === 'function') {
    const NativeNotification = window.Notification;
    class ProbedNotification extends NativeNotification {
      constructor(...args) {
        if (state.cur.notify === undefined) state.cur.notify = now();
        super(...args);
      }
    }
    Object.defineProperty(ProbedNotification, 'permission', { get: () => NativeNotification.permission });
    ProbedNotification.requestPermission = (...a) => NativeNotification.requestPermission(...a);
    window.Notification = ProbedNotification;
  }
  if (typeof window.AudioContext === 'function') {
    // ring: the ringtone asks for sound (a new AudioContext, or resume() of the page's one);
    // ringRunning: an AudioContext of the page starts running (the autoplay policy let it sound)
    const NativeAudioContext = window.AudioContext;
    const running = (ctx) => {
      if (ctx.state === 'running' && state.cur.ring !== undefined && state.cur.ringRunning === undefined)
        state.cur.ringRunning = now();
    };
    class ProbedAudioContext extends NativeAudioContext {
      constructor(...args) {
        if (state.cur.ring === undefined) state.cur.ring = now();
        super(...args);
        this.addEventListener('statechange', () => running(this));
        running(this);
      }
      resume() {
        if (state.cur.ring === undefined) state.cur.ring = now();
        const p = super.resume();
        running(this);
        return p;
      }
    }
    window.AudioContext = ProbedAudioContext;
  }

  const selector = 'section[role="alertdialog"][aria-label="Incoming call"]';
  const check = () => {
    const shown = document.querySelector(selector) !== null;
    if (shown === state.barShown) return;
    state.barShown = shown;
    const marks = state.cur;
    if (shown) {
      if (marks.dom !== undefined) return;
      marks.dom = now();
      mark('dom');
      marks.visibility = document.visibilityState;
      report('dom', marks);
      requestAnimationFrame(() => {
        marks.raf = now();
        mark('raf');
        // a task queued from the frame's rAF runs once that frame's style, layout and paint are done
        const channel = new MessageChannel();
        channel.port1.onmessage = () => {
          marks.rendered = now();
          mark('rendered');
          channel.port1.close();
        };
        channel.port2.postMessage(0);
        requestAnimationFrame(() => {
          marks.paint = now();
          mark('paint');
          report('paint', marks);
        });
      });
    } else if (marks.dom !== undefined) {
      marks.gone = now();
      report('gone', marks);
    }
  };
  const start = () => {
    new MutationObserver(check).observe(document.documentElement, {
      subtree: true,
      childList: true,
      attributes: true,
      attributeFilter: ['role', 'aria-label'],
    });
  };
  if (document.documentElement) start();
  else document.addEventListener('DOMContentLoaded', start);
})();`;
