import { lazy, Suspense, type Dispatch, type SetStateAction } from 'react';
import type { Language, Operator, QueueStatus, RequestDetail, Service } from '../../src-main/contract/model';
import { ApplicantScreen } from '../screens/ApplicantScreen';
import { DocumentsScreen } from '../screens/DocumentsScreen';
import { DoneScreen } from '../screens/DoneScreen';
import { QueueScreen } from '../screens/QueueScreen';
import { ServiceScreen } from '../screens/ServiceScreen';
import { SettingsScreen } from '../screens/SettingsScreen';
import { SignScreen } from '../screens/SignScreen';

export type View =
  | { name: 'service' }
  | { name: 'applicant'; service: Service; subServiceId: string | null }
  | { name: 'documents'; request: RequestDetail; service: Service | null }
  | { name: 'sign'; request: RequestDetail }
  | { name: 'done'; request: RequestDetail }
  | { name: 'queue' }
  | { name: 'settings' }
  | { name: 'dashboard' };

// The supervisor's dashboard (and Chart.js with it) loads only when a supervisor opens it.
const DashboardScreen = lazy(() => import('../dashboard/DashboardScreen').then((m) => ({ default: m.DashboardScreen })));

/** The screen of the current view, for a signed-in operator. */
export function Screens(props: {
  view: View;
  setView: Dispatch<SetStateAction<View>>;
  operator: Operator;
  queue: QueueStatus | null;
  lang: Language;
  openRequest: (id: string) => void;
}) {
  const { view, setView, lang } = props;
  switch (view.name) {
    case 'service':
      return <ServiceScreen operatorId={props.operator.id} onChosen={(service, subServiceId) => setView({ name: 'applicant', service, subServiceId })} />;
    case 'applicant':
      return (
        <ApplicantScreen
          service={view.service}
          subServiceId={view.subServiceId}
          onBack={() => setView({ name: 'service' })}
          onCreated={(request) => setView({ name: 'documents', request, service: view.service })}
        />
      );
    case 'documents':
      return (
        <DocumentsScreen
          request={view.request}
          documentsNote={view.service?.documentsNote[lang] ?? null}
          // A late answer (an event's refresh that lands after the operator moved on) must not bring
          // the screen back: update only while this request's documents are still on screen.
          onChange={(request) => setView((v) => (v.name === 'documents' && v.request.id === request.id ? { ...v, request } : v))}
          onNext={() => setView({ name: 'sign', request: view.request })}
          onCancelled={() => setView({ name: 'queue' })}
        />
      );
    case 'sign':
      return (
        <SignScreen
          request={view.request}
          onBack={() => setView({ name: 'documents', request: view.request, service: null })}
          onSigned={(request) => setView({ name: 'done', request })}
        />
      );
    case 'done':
      return <DoneScreen request={view.request} queue={props.queue} onNew={() => setView({ name: 'service' })} />;
    case 'dashboard':
      return (
        <Suspense fallback={null}>
          <DashboardScreen />
        </Suspense>
      );
    case 'settings':
      return <SettingsScreen operator={props.operator} />;
    case 'queue':
      return <QueueScreen operatorId={props.operator.id} queue={props.queue} onOpen={(id) => props.openRequest(id)} />;
  }
}
