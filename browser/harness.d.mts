// Types for the TypeScript that imports browser/harness.mjs (plain Node, so that scripts run it unbuilt).
import type { Browser, Page } from 'playwright-core';
import type { ServerInfo } from './party.js';

export const CHROMIUM: string;
export function bundle(entry: string, platform?: 'browser' | 'node'): Promise<string>;
export function servePage(entry: string, html: string, port?: number): Promise<{ url: string; close(): Promise<void> }>;
export function pageHtml(title: string, body?: string): string;
export function launchChromium(options?: { headless?: boolean }): Promise<Browser>;
export function openPage(browser: Browser, url: string, global: string): Promise<Page>;
export function serverInfo(
  server: { wsUrl: string | undefined; dcId: number; publicKeyPem: string | undefined },
  phoneCode: string,
): ServerInfo;
export function importForNode(entry: string): Promise<Record<string, unknown>>;
export function forkTestServer(host?: string): Promise<{
  info: ServerInfo;
  users: { id: string; accessHash: string; firstName: string; phone: string }[];
  stop(): Promise<void>;
}>;
