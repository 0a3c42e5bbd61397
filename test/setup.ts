// Normalise the environment so local runs and CI render and behave identically.
process.env['FORCE_COLOR'] = '0';
delete process.env['NO_COLOR'];
process.env['TZ'] ??= 'UTC';
