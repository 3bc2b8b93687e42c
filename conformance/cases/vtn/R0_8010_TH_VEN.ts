import { vtnCase } from './scenarios/common.js';
import { oneShotStatus } from './scenarios/reports.js';

export default vtnCase({
  id: 'R0_8010_TH_VEN', delivery: 'push', needs: ['requestReports'],
  title: 'VEN Reporting - One Shot Report',
  requirement: 'A one-shot TELEMETRY_STATUS request (granularity 0, reportBackDuration 0, no reportInterval) reaches the VEN in oadrCreateReport; the status report is answered with oadrUpdatedReport 200.',
  run: oneShotStatus,
});
