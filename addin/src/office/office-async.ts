import { OfficeCallError } from './mailbox';

type Callback<T> = (result: Office.AsyncResult<T>) => void;

/**
 * Wraps one Office callback API in a Promise that rejects (never throws inside the callback) when
 * Office reports failure or the call itself throws.
 */
export function officeCall<T>(operation: string, invoke: (cb: Callback<T>) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    try {
      invoke((result) => {
        if (result.status === Office.AsyncResultStatus.Succeeded) resolve(result.value);
        else reject(new OfficeCallError(operation, result.error?.code, result.error?.message ?? 'Office reported a failure'));
      });
    } catch (e) {
      reject(new OfficeCallError(operation, undefined, e instanceof Error ? e.message : String(e)));
    }
  });
}
