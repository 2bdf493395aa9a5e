// The bridge between the host and one JavaScript function's module, evaluated once per context.
// Only strings, numbers, booleans and null cross between Java and JavaScript: bodies travel as
// text and are parsed here (JSON.parse) on first use, values sent are JSON.stringify'd here.
(function (ns, host, outputs, devicesAllowed, functionName) {
    'use strict';
    const declared = new Set(outputs);
    let settingsVersion = -1;
    let settings = undefined;

    function deepFreeze(value) {
        if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
            Object.freeze(value);
            Object.values(value).forEach(deepFreeze);
        }
        return value;
    }

    function context(invocationId, version) {
        return {
            functionName: functionName,
            invocationId: invocationId,
            now() {
                return host.now();
            },
            get settings() {
                if (version !== settingsVersion) {
                    settings = deepFreeze(JSON.parse(host.settings()));
                    settingsVersion = version;
                }
                return settings;
            },
            output(name) {
                if (!declared.has(name)) {
                    throw new Error("output '" + name + "' is not declared by function '" + functionName
                        + "'; its outputs are [" + outputs.join(', ') + "]");
                }
                return {
                    send(value, properties) {
                        if (value === undefined || value === null) {
                            throw new TypeError("output '" + name + "' was sent " + value + "; send nothing instead");
                        }
                        const text = typeof value === 'string';
                        host.send(name, text ? value : JSON.stringify(value),
                            properties === undefined || properties === null ? null : JSON.stringify(properties), text);
                    }
                };
            },
            log: Object.freeze({
                debug: (text) => host.log(0, String(text)),
                info: (text) => host.log(1, String(text)),
                warn: (text) => host.log(2, String(text)),
                error: (text) => host.log(3, String(text)),
            }),
            devices: devicesAllowed ? Object.freeze({
                send(deviceId, name, args) {
                    return JSON.parse(host.command(String(deviceId), String(name),
                        JSON.stringify(args === undefined ? {} : args)));
                }
            }) : undefined,
        };
    }

    function message(bodyText, properties, systemProperties) {
        let parsed = false;
        let body = undefined;
        return {
            text: bodyText,
            get body() {
                if (!parsed) {
                    parsed = true;
                    try {
                        body = JSON.parse(bodyText);
                    } catch (notJson) {
                        body = undefined;
                    }
                }
                return body;
            },
            properties: properties,
            systemProperties: systemProperties,
        };
    }

    return function invoke(handler, timer, bodyText, properties, systemProperties, invocationId, version) {
        const ctx = context(invocationId, version);
        const result = timer ? ns[handler](ctx) : ns[handler](message(bodyText, properties, systemProperties), ctx);
        if (result === undefined || result === null) {
            return null;
        }
        // One string back: 'T' and a text body, or 'J' and JSON.
        return typeof result === 'string' ? 'T' + result : 'J' + JSON.stringify(result);
    };
})
