import { venCase } from './scenarios/common.js';
import { schemaInvalidAnswer } from './scenarios/general.js';

export default venCase({
  id: 'XS_0020_TH_VTN', delivery: 'pull',
  title: 'FlexBridge security - schema-invalid answer from the VTN',
  requirement: 'A poll answered with a payload that is not schema-valid 2.0b does not stop the VEN: it keeps polling.',
  run: schemaInvalidAnswer,
});
