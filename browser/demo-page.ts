/**
 * The browser demo's page: two parties in one page, Alice and Bob, each a client of its own over
 * WebSocket to the test server. Bob signs in and waits; Alice signs in and calls him; each panel logs its
 * steps and ends with the call's key fingerprint and four emoji, which match.
 */
import { answer, call, signedInParty, type Callee, type CallSummary, type ServerInfo } from './party.js';

/** The few DOM calls this page makes (the project compiles without the DOM library). */
interface Element {
  textContent: string | null;
  className: string;
  append(...nodes: (Element | string)[]): void;
}
interface DemoGlobals {
  document: { getElementById(id: string): Element; createElement(tag: string): Element };
  mtwireDemo: { server: ServerInfo; bob: Callee & { phone: string }; alicePhone: string };
  mtwireDemoResult?: { alice: CallSummary; bob: CallSummary } | { error: string };
}
const page = globalThis as unknown as DemoGlobals;
const { document } = page;

function logTo(party: 'alice' | 'bob'): (step: string) => void {
  const list = document.getElementById(`${party}-log`);
  return (step) => {
    const item = document.createElement('li');
    item.textContent = step;
    list.append(item);
  };
}

function show(party: 'alice' | 'bob', summary: CallSummary): void {
  document.getElementById(`${party}-emoji`).textContent = summary.emoji.join(' ');
  document.getElementById(`${party}-fingerprint`).textContent = `key fingerprint ${summary.fingerprint}`;
}

async function run(): Promise<void> {
  const { server, bob: callee, alicePhone } = page.mtwireDemo;
  const bobLog = logTo('bob');
  const aliceLog = logTo('alice');
  const bob = await signedInParty({ server, phone: callee.phone, onStep: bobLog });
  const alice = await signedInParty({ server, phone: alicePhone, onStep: aliceLog });
  try {
    const answered = answer(bob.client, bobLog);
    const [aliceSummary, bobSummary] = await Promise.all([call(alice.client, callee, aliceLog), answered]);
    show('alice', aliceSummary);
    show('bob', bobSummary);
    const same = aliceSummary.fingerprint === bobSummary.fingerprint && aliceSummary.emoji.join() === bobSummary.emoji.join();
    const verdict = document.getElementById('verdict');
    verdict.textContent = same
      ? 'Both sides show the same emoji: the call key is the same end to end.'
      : 'MISMATCH: the two sides derived different keys.';
    verdict.className = same ? 'same' : 'mismatch';
    page.mtwireDemoResult = { alice: aliceSummary, bob: bobSummary };
  } finally {
    await Promise.all([alice.client.close(), bob.client.close()]);
  }
}

run().catch((error: Error) => {
  document.getElementById('verdict').textContent = `demo failed: ${error.message}`;
  page.mtwireDemoResult = { error: error.message };
});
