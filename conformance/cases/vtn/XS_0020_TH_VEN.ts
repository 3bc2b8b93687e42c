import { vtnCase } from './scenarios/common.js';
import { schemaInvalid } from './scenarios/general.js';

export default vtnCase({
  id: 'XS_0020_TH_VEN', delivery: 'pull',
  title: 'FlexBridge security - schema-invalid payload',
  requirement: 'A payload that is not valid against the 2.0b schema (an oadrPoll without venID) is refused with 454, in a schema-valid answer.',
  run: schemaInvalid,
});
