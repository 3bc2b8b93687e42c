import { vtnCase } from './scenarios/common.js';
import { telemetryOneShot } from './scenarios/reports.js';

export default vtnCase({
  id: 'R0_8150_TH_VEN', delivery: 'push', needs: ['requestReports'],
  title: 'VEN Reporting - Telemetry Usage, One Shot',
  requirement: 'A one-shot TELEMETRY_USAGE request for power and energy reaches the VEN; the report is accepted.',
  run: telemetryOneShot,
});
