import { venCase } from './scenarios/common.js';
import { oneShotStatus } from './scenarios/reports.js';

export default venCase({
  id: 'R0_8010_TH_VTN', delivery: 'push',
  title: 'VEN Reporting - One Shot Report',
  requirement: 'A one-shot TELEMETRY_STATUS request (granularity and reportBackDuration 0) is accepted (oadrCreatedReport 200, pending) and gets exactly one status report.',
  run: oneShotStatus,
});
