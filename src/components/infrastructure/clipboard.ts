import { AppEvents } from '@grafana/data';
import { getAppEvents } from '@grafana/runtime';

/** Copies `text` (Clipboard API when the page may use it, else a selected textarea) and toasts the result. */
export async function copyToClipboard(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard?.writeText) {
      await navigator.clipboard.writeText(text);
    } else {
      const area = document.createElement('textarea');
      area.value = text;
      document.body.appendChild(area);
      area.select();
      // The only copy path outside secure contexts (Grafana served over plain HTTP), as Grafana's ClipboardButton does.
      // eslint-disable-next-line @typescript-eslint/no-deprecated
      const ok = document.execCommand('copy');
      area.remove();
      if (!ok) {
        throw new Error('the browser refused to copy');
      }
    }
    getAppEvents()?.publish({ type: AppEvents.alertSuccess.name, payload: [`Copied ${text}`] });
    return true;
  } catch (e) {
    getAppEvents()?.publish({
      type: AppEvents.alertError.name,
      payload: [`Could not copy ${text}`, e instanceof Error ? e.message : String(e)],
    });
    return false;
  }
}
