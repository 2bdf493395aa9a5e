/**
 * Timer triggers: {@link io.edgefn.triggers.TimerScheduler} runs ticks on
 * {@link io.edgefn.triggers.Schedule}s, fixed rates or six-field NCRONTAB expressions
 * ({@link io.edgefn.triggers.NcrontabSchedule}) evaluated in UTC, with time and threads injected.
 */
package io.edgefn.triggers;
