import request from 'supertest';
import { wordlist as portuguese } from '@scure/bip39/wordlists/portuguese.js';
import { wordlist as spanish } from '@scure/bip39/wordlists/spanish.js';
import { LANGS } from '../../../src/platform/i18n';
import type { TestDatabase } from '../../support/database';
import {
  moveStaged,
  receiptOf,
  reportIdOf,
  submitReport,
  validReport,
  type IntakeTestApp,
  setUpIntake,
} from './support';

// A reporter gets a receipt in the words of the page's language, and it opens their status page from any
// language's site, typed without accents, in capitals, with spaces.

let database: TestDatabase;
let testApp: IntakeTestApp;

beforeAll(async () => {
  ({ database, testApp } = await setUpIntake({ intake: { rateLimits: false } }));
});
afterAll(() => database.destroy());

const SPANISH = new Set(spanish.map((word) => word.normalize('NFC')));
const stripAccents = (text: string): string => text.normalize('NFD').replace(/\p{M}/gu, '');

function openStatus(receipt: string, lang: string) {
  return request(testApp.app)
    .post(lang === 'en' ? '/status' : `/${lang}/status`)
    .type('form')
    .send({ receipt });
}

describe('a receipt in the reporter’s language', () => {
  it('gives a Spanish reporter eight Spanish words, marked as Spanish', async () => {
    const response = await submitReport(testApp.app, validReport(), 'es').expect(200);
    const receipt = receiptOf(response.text);
    expect(receipt.split('-').every((word) => SPANISH.has(word))).toBe(true);
    expect(response.text).toMatch(/<p class="receipt" lang="es"/);
  });

  it('opens the status page from every language’s site, typed without accents, in capitals, with spaces', async () => {
    // Draw until the receipt has an accent, so the test always types one back without it.
    let receipt = '';
    for (let tries = 0; tries < 50 && stripAccents(receipt) === receipt; tries += 1) {
      receipt = receiptOf((await submitReport(testApp.app, validReport(), 'es').expect(200)).text);
    }
    expect(stripAccents(receipt)).not.toBe(receipt);
    const typed = stripAccents(receipt).toUpperCase().replaceAll('-', '  ');
    for (const moved of [false, true]) {
      if (moved) await moveStaged(database.db);
      for (const lang of LANGS) {
        const page = await openStatus(typed, lang).expect(200);
        expect(page.text).toContain(`<html lang="${lang}">`);
        expect(page.text).toContain('class="intake-status');
      }
    }
    expect(await reportIdOf(database.db, typed)).toBeDefined();
  });

  it('gives a Portuguese reporter eight Portuguese words that open the status page from the English site', async () => {
    const response = await submitReport(testApp.app, validReport(), 'pt').expect(200);
    expect(response.text).toContain('<html lang="pt">');
    expect(response.text).toMatch(/<p class="receipt" lang="pt"/);
    const receipt = receiptOf(response.text);
    const words = new Set(portuguese);
    expect(receipt.split('-').every((word) => words.has(word))).toBe(true);
    const page = await openStatus(receipt.toUpperCase().replaceAll('-', ' '), 'en').expect(200);
    expect(page.text).toContain('class="intake-status');
  });

  it('still gives an English reporter English words', async () => {
    const receipt = receiptOf((await submitReport(testApp.app, validReport()).expect(200)).text);
    expect(receipt).toMatch(/^[a-z]+(-[a-z]+){7}$/);
    expect(receipt.split('-').some((word) => !SPANISH.has(word))).toBe(true);
  });
});
