import { useState } from 'react';
import type { RequestDetail } from '../../../src-main/contract/model';
import { PageViewer } from '../../pages/PageViewer';
import type { Spot } from '../../pages/useViewerKeys';
import { viewerActions } from './viewer-actions';

/**
 * The page viewer over the documents screen, holding the page it stands on itself: a step (← →)
 * re-renders the viewer only, not the screen behind it with every page's thumbnail (on a
 * 100-page document that re-render was most of a step's script time).
 */
export function ViewerHost(props: {
  request: RequestDetail;
  start: Spot;
  busy: boolean;
  run: (slotId: string, f: () => Promise<RequestDetail>) => Promise<void>;
  onClose: () => void;
}) {
  const [at, setAt] = useState(props.start);
  const { onClose } = props;
  return (
    <PageViewer
      slots={props.request.slots}
      at={at}
      busy={props.busy}
      onAt={setAt}
      {...viewerActions(props.request, props.run, (s) => (s ? setAt(s) : onClose()))}
      onClose={onClose}
    />
  );
}
