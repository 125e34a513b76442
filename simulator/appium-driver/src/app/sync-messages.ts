/**
 * The wording of the synchronisation screen's status line (ours: the guide
 * says nothing of it). The page objects parse these lines, so the numbers
 * always come with the same words, plural included.
 */
import type { ReceiveReport, SendReport } from '../../../device/index.ts';

/** `Réception terminée : 52 tables, 1234 lignes, 45678 octets, données 1.00 du 2026-12-04 10:00:00 (812 ms)` */
export function receivedStatus(report: ReceiveReport): string {
  return `Réception terminée : ${report.tables} tables, ${report.rows} lignes, ${report.bytes} octets, ` +
    `données ${report.dataVersion} du ${report.exportDate.replace('T', ' ')} (${Math.round(report.ms)} ms)`;
}

/** `Envoi terminé : <zip>, 3 mouvements, 2 lots, 1234 octets (95 ms)`, or `Aucun mouvement à envoyer`. */
export function sentStatus(report: SendReport): string {
  if (report.file === undefined) return 'Aucun mouvement à envoyer';
  return `Envoi terminé : ${report.file}, ${report.movements} mouvements, ${report.lots} lots, ` +
    `${report.bytes} octets (${Math.round(report.ms)} ms)`;
}

/** `Échec de la réception : <reason>` or `Échec de l'envoi : <reason>`, the reason being the device's message. */
export function failedStatus(action: 'receive' | 'send', error: unknown): string {
  const reason = error instanceof Error ? error.message : String(error);
  return `${action === 'receive' ? 'Échec de la réception' : "Échec de l'envoi"} : ${reason}`;
}
