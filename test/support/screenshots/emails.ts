import type { Browser } from 'playwright-core';
import type { EmailMessage } from '../../../src/services/email/email-message';
import { lessonEmail } from '../../../src/services/email/lesson-emails';
import { reconnectZoomEmail } from '../../../src/services/email/reconnect-emails';
import { joinLink, type JoinRole } from '../../../src/services/meetings/join-links';
import type { Lesson } from '../../../src/lessons/types';
import { createReconnectToken } from '../../../src/services/zoom-connection/reconnect-token';

/**
 * The LessonBooked and ReconnectZoom emails as the service builds them, with sample people and
 * times fixed so the committed images only change when the emails do.
 */
export interface EmailSample {
  name: string;
  /** The image in docs/images/ that `npm run docs:screenshots` refreshes; absent: tests only. */
  docsImage?: string;
  message: EmailMessage;
  /** The button the reader must see, and where it must lead. */
  action: { label: string; url: string };
}

const BASE_URL = 'https://lessons.example.com';
const SAMPLE_SECRET = 'sample-link-signing-secret-for-screenshots';
const NOW = new Date('2026-03-02T09:00:00Z');

const lesson: Lesson = {
  id: 'lesson-4821',
  title: 'Spanish conversation (B1)',
  startsAt: new Date('2026-03-12T16:00:00Z'),
  endsAt: new Date('2026-03-12T17:00:00Z'),
  tutor: { id: 'tutor-17', email: 'maria.lopez@example.com', name: 'María López', timeZone: 'Europe/Madrid' },
  student: {
    id: 'student-93',
    email: 'sam.carter@example.com',
    name: 'Sam Carter',
    timeZone: 'America/New_York',
  },
};

function lessonBooked(recipient: JoinRole): EmailSample {
  const joinUrl = joinLink(
    BASE_URL,
    SAMPLE_SECRET,
    lesson.id,
    recipient,
    new Date(lesson.endsAt.getTime() + 15 * 60_000),
  );
  return {
    name: `lesson-booked-${recipient}`,
    docsImage: recipient === 'student' ? 'email-lesson-booked.png' : undefined,
    message: lessonEmail({
      lesson,
      event: 'booked',
      version: 1,
      recipient,
      joinUrl,
      providerLabel: 'Zoom',
      from: { email: 'lessons@example.com', name: 'Online lessons' },
      now: NOW,
    }),
    action: { label: recipient === 'tutor' ? 'Start the lesson' : 'Join the lesson', url: joinUrl },
  };
}

async function reconnectZoom(): Promise<EmailSample> {
  const token = await createReconnectToken(lesson.tutor.id, SAMPLE_SECRET, NOW);
  const reconnectUrl = `${BASE_URL}/integrations/zoom/connect?reconnect=${token}`;
  return {
    name: 'reconnect-zoom',
    docsImage: 'email-reconnect-zoom.png',
    message: reconnectZoomEmail({
      to: { email: lesson.tutor.email, name: lesson.tutor.name },
      reconnectUrl,
      attempts: 1,
      maxAttempts: 3,
      disconnected: false,
    }),
    action: { label: 'Reconnect Zoom', url: reconnectUrl },
  };
}

export async function emailSamples(): Promise<EmailSample[]> {
  return [lessonBooked('student'), lessonBooked('tutor'), await reconnectZoom()];
}

/** What the browser showed: the first heading, the visible text, and the action link as rendered. */
export interface RenderedEmail {
  heading: string;
  text: string;
  action: { visible: boolean; href: string | null; box: { width: number; height: number } | null };
}

/** Renders the email's HTML in Chromium at a mail client's width and saves a full-page PNG. */
export async function renderEmailPng(
  browser: Browser,
  sample: EmailSample,
  file: string,
): Promise<RenderedEmail> {
  const page = await browser.newPage({ viewport: { width: 640, height: 200 }, deviceScaleFactor: 1 });
  try {
    await page.setContent(sample.message.html, { waitUntil: 'load' });
    const link = page.getByRole('link', { name: sample.action.label, exact: true });
    const rendered: RenderedEmail = {
      heading: (await page.locator('h1').first().innerText()).trim(),
      text: await page.locator('body').innerText(),
      action: {
        visible: await link.isVisible(),
        href: await link.getAttribute('href'),
        box: await link.boundingBox(),
      },
    };
    await page.screenshot({ path: file, fullPage: true });
    return rendered;
  } finally {
    await page.close();
  }
}
