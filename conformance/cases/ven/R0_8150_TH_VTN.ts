import { venCase } from './scenarios/common.js';
import { telemetryOneShot } from './scenarios/reports.js';

export default venCase({
  id: 'R0_8150_TH_VTN', delivery: 'push',
  title: 'VEN Reporting - Telemetry Usage, One Shot',
  requirement: 'A one-shot TELEMETRY_USAGE request gets one report with the requested data points.',
  run: telemetryOneShot,
});
