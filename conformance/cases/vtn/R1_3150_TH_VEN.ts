import { vtnCase } from './scenarios/common.js';
import { telemetryOneShot } from './scenarios/reports.js';

export default vtnCase({
  id: 'R1_3150_TH_VEN', delivery: 'pull', needs: ['requestReports'],
  title: 'VEN Reporting - Telemetry Usage, One Shot',
  requirement: 'A one-shot TELEMETRY_USAGE request for power and energy reaches the VEN; the report is accepted.',
  run: telemetryOneShot,
});
