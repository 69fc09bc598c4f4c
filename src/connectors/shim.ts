// The pipe sesam-py generates for every datatype after its template's components (connector_cli/templates/
// shim.json): `<system>-<datatype>-transform` reads the collect dataset and adds `$based_on`.
export const SHIM_TEMPLATE_NAME = 'shim.json';

export const SHIM_TEMPLATE = `{
  "_id": "{{@ system @}}-{{@ datatype @}}-transform",
  "type": "pipe",
  "source": {
    "type": "dataset",
    "dataset": "{{@ system @}}-{{@ datatype @}}-collect",
    "supports_signalling": false
  },
  "transform": {
    "type": "dtl",
    "rules": {
      "default": [
        ["add", "$based_on", ["apply", "based-on", "_S."]],
        ["copy", "*"]
      ],
      "based-on": [
        ["copy", "*", ["list", "_*", "$*"]]
      ]
    }
  }
}`;
