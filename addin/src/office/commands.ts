// Function file of the ribbon commands (commands.html): registers each ExecuteFunction action.
import { completeAfter, insertLatestVideo } from './insert-latest.command';
import { createOfficeStore } from './storage.office';

Office.onReady(() => {
  Office.actions.associate('insertLatestVideo', (event: Office.AddinCommands.Event) =>
    completeAfter(event, () => insertLatestVideo(createOfficeStore(), window.location.origin)),
  );
});
