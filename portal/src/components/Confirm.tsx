import { Button, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle, DialogTrigger } from '@fluentui/react-components';
import { useState, type ReactElement } from 'react';
import { useI18n } from '../app/i18n';

/** A button that asks before doing something that cannot be undone. */
export function ConfirmButton({ label, title, body, confirm, onConfirm, danger = true, trigger }: { label: string; title: string; body: string; confirm: string; onConfirm(): Promise<void> | void; danger?: boolean; trigger?: ReactElement }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  return (
    <Dialog open={open} onOpenChange={(_, d) => setOpen(d.open)}>
      <DialogTrigger disableButtonEnhancement>{trigger ?? <Button>{label}</Button>}</DialogTrigger>
      <DialogSurface>
        <DialogBody>
          <DialogTitle>{title}</DialogTitle>
          <DialogContent>{body}</DialogContent>
          <DialogActions>
            <DialogTrigger disableButtonEnhancement>
              <Button appearance="secondary">{t('common.cancel')}</Button>
            </DialogTrigger>
            <Button
              appearance="primary"
              disabled={busy}
              className={danger ? 'danger' : undefined}
              onClick={async () => {
                // Close first: the action may leave the page, and its result is shown on the page, not in the dialog.
                setBusy(true);
                setOpen(false);
                try {
                  await onConfirm();
                } finally {
                  setBusy(false);
                }
              }}
            >
              {confirm}
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
